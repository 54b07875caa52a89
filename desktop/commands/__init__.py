"""``vpw`` sub-commands, one module per job. Each module has ``register(subparsers)``.

A command's handler is ``run(args, ctx) -> int`` (set with ``parser.set_defaults(func=run)``);
it prints for the operator, raises ``VpwError`` for failures (the CLI prints the sentence and
exits with its code) and returns the exit code.
"""

# The order here is the order in ``vpw --help``.
COMMAND_MODULES = [
    "desktop.commands.voiceprint",
    "desktop.commands.history",
    "desktop.commands.speakers",
    "desktop.commands.audit",
    "desktop.commands.serve",
    "desktop.commands.rokid",
    "desktop.commands.voicecall",
    "desktop.commands.singsound",
    "desktop.commands.calibrate",
    "desktop.commands.gui",
]
