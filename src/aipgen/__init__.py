"""aipgen: turn a jobcenter's programme folder into website and PDF."""

__version__ = "0.2.2"
