"""reportlab's process-wide switches, set once before any of reportlab's drawing modules is imported
(ClientDesk has no other reportlab user; `clientdesk/reports/__init__.py` imports this first).

- useA85 = 0: streams are written as compressed binary rather than ASCII85 text: a tenth smaller, faster to
  write, and read by every PDF reader.
- shapeChecking = 0: reportlab.graphics stops validating every attribute set on a chart (a development aid
  that costs about a fifth of a chart's time); the charts here are fixed code, checked by the tests."""

from reportlab import rl_config

rl_config.useA85 = 0
rl_config.shapeChecking = 0
