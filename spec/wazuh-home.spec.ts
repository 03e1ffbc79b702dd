// Specs for src/wazuh-home.ts (The Wazuh directory layout integratord reads and writes under --home (default /var/ossec)).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { wazuhPaths } from '../src/wazuh-home.js';

const paths = suite('wazuhPaths');
paths('gives the Wazuh layout under the home', () => {
  const p = wazuhPaths('/var/ossec');
  assert.equal(p, {
    home: '/var/ossec',
    config: '/var/ossec/etc/ossec.conf',
    alerts: '/var/ossec/logs/alerts/alerts.json',
    alertsArchive: '/var/ossec/logs/alerts',
    integrations: '/var/ossec/integrations',
    queueSocket: '/var/ossec/queue/sockets/queue',
    state: '/var/ossec/var/integratord',
    configFiles: ['/var/ossec/etc/ossec.conf', '/var/ossec/etc/integratord.conf'],
  });
});
paths('lets -c and --state override the config and state paths', () => {
  const p = wazuhPaths('/opt/wazuh/', { config: '/tmp/test.conf', state: '/srv/state' });
  assert.is(p.config, '/tmp/test.conf');
  assert.equal(p.configFiles, ['/tmp/test.conf'], '-c reads that file alone');
  assert.is(p.state, '/srv/state');
  assert.is(p.alerts, '/opt/wazuh/logs/alerts/alerts.json');
});
paths.run();
