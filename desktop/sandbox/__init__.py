"""Local, protocol-faithful stand-ins for the four cloud services.

An independent implementation of each wire protocol: nothing here imports ``desktop.services``
(a bug in a shared message builder would otherwise pass its own test).
"""
