# IPython kernel settings for the kit's .venv; scripts/setup.sh installs this file as
# .venv/etc/ipython/ipython_kernel_config.py, which every kernel started from the .venv reads.
import logging


class _WithoutPlainTcpNotice(logging.Filter):
    """ipykernel 7 warns at every start that its TCP transport is not encrypted. The kernels here are the build's
    notebook runs and a trainer's local Lab, listening on 127.0.0.1 only, and neither myst-nb nor nbclient lets the
    build ask jupyter_client for CurveZMQ keys, so the notice is noise in every build log; other warnings stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "running over TCP without encryption" not in record.getMessage()


c = get_config()  # noqa: F821 - provided by IPython when it reads this file
c.IPKernelApp.logging_config = {
    "filters": {"without_plain_tcp_notice": {"()": _WithoutPlainTcpNotice}},
    "handlers": {"console": {"filters": ["without_plain_tcp_notice"]}},
}
