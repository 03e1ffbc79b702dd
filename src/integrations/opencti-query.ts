// The one GraphQL request OpenCTI gets per lookup: indicators by STIX pattern and observables by value (FilterGroup, OpenCTI ≥ 5.12).

import type { OpenCtiTarget } from './opencti-targets.js';

/** The fields of an indicator the event carries (those custom-opencti.py asks for). */
const INDICATOR = `id name valid_until revoked confidence x_opencti_score x_opencti_detection indicator_types x_mitre_platforms
  pattern_type pattern objectLabel { value } killChainPhases { kill_chain_name }`;

/** What every STIX core object carries: identity, author, labels and references. */
const CORE = `id type: entity_type created_at updated_at
  createdBy { ... on Identity { id standard_id identity_class name } ... on Organization { x_opencti_organization_type x_opencti_reliability }
    ... on Individual { x_opencti_firstname x_opencti_lastname } }
  objectLabel { value } externalReferences { edges { node { url } } }`;

const INDICATORS = `indicators { edges { node { ${INDICATOR} } } }`;
const RELATED_NAME = `... on DomainName { id value ${INDICATORS} } ... on Hostname { id value ${INDICATORS} }`;
const RELATED_ADDR = `... on IPv4Addr { id value ${INDICATORS} } ... on IPv6Addr { id value ${INDICATORS} }`;
const TO_ADDRESSES = `stixCoreRelationships(toTypes: ["IPv4-Addr", "IPv6-Addr", "Domain-Name", "Hostname"]) {
  edges { node { type: toType relationship_type related: to { ${RELATED_ADDR} ${RELATED_NAME} } } } }`;
const FROM_NAMES = `stixCoreRelationships(fromTypes: ["Domain-Name", "Hostname"]) {
  edges { node { type: fromType relationship_type related: from { ${RELATED_NAME} } } } }`;
const PAGE = 'pageInfo { startCursor endCursor hasNextPage hasPreviousPage globalCount }';

/** The query: up to 10 indicators whose pattern is one of ours, up to 10 observables with one of our values. */
export const OPENCTI_QUERY = `query IoCs($obs: FilterGroup, $ind: FilterGroup) {
  indicators(filters: $ind, first: 10) { edges { node { ${CORE} ${INDICATOR} } } ${PAGE} }
  stixCyberObservables(filters: $obs, first: 10) {
    edges { node { ${CORE} observable_value x_opencti_description x_opencti_score ${INDICATORS}
      ... on DomainName { value ${TO_ADDRESSES} } ... on Hostname { value ${TO_ADDRESSES} } ... on Url { value ${TO_ADDRESSES} }
      ... on IPv4Addr { value ${FROM_NAMES} } ... on IPv6Addr { value ${FROM_NAMES} }
      ... on StixFile { extensions size name x_opencti_additional_names } } }
    ${PAGE}
  }
}`;

/**
 * The request body: the query and its FilterGroup variables — observables whose `key` (value or
 * hashes.SHA256) is any of the values; STIX indicators whose pattern is any of the patterns.
 * Alert values travel only as JSON variables, never inside the query text.
 */
export const openCtiRequestBody = (target: OpenCtiTarget): string =>
  JSON.stringify({
    query: OPENCTI_QUERY,
    variables: {
      obs: { mode: 'or', filterGroups: [], filters: [{ key: target.key, values: target.values }] },
      ind: {
        mode: 'and',
        filterGroups: [],
        filters: [
          { key: 'pattern_type', values: ['stix'] },
          { mode: 'or', key: 'pattern', values: target.patterns },
        ],
      },
    },
  });
