"""Grid modernization filings of CPUC R.21-06-017 as code: validate, render, publish."""

__version__ = "0.1.0"
