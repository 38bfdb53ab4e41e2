from tests.filer.filerfixtures import repo  # noqa: F401 - the fixture, for every filer test
