#!/bin/sh
# Benchmark stand-in for Wazuh's framework/wrappers/generic_wrapper.sh, installed as integrations/<name>:
# resolves its own directory and name (subshells, as the original does), sets WAZUH_PATH to the parent
# when unset and runs <WAZUH_PATH>/framework/python/bin/python3 <dir>/<name>.py "$@" (not exec: sh
# stays the parent and passes the exit code on). See shared/reference/wazuh-integrator.md §5.3.

WPYTHON_BIN="framework/python/bin/python3"

SCRIPT_PATH_NAME="$0"

DIR_NAME="$(cd $(dirname ${SCRIPT_PATH_NAME}); pwd -P)"
SCRIPT_NAME="$(basename ${SCRIPT_PATH_NAME})"

case ${DIR_NAME} in
    */integrations)
        if [ -z "${WAZUH_PATH}" ]; then
            WAZUH_PATH="$(cd ${DIR_NAME}/..; pwd)"
        fi

        PYTHON_SCRIPT="${DIR_NAME}/${SCRIPT_NAME}.py"
    ;;
esac

${WAZUH_PATH}/${WPYTHON_BIN} ${PYTHON_SCRIPT} "$@"
