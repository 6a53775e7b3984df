"""Search-quality figures in every pytest run's summary, not only with `-s`."""

from __future__ import annotations

import pytest

# Lines the quality tests leave for the summary; a key into the run's stash, not a state.
QUALITY_LINES = pytest.StashKey[list[str]]()


@pytest.fixture
def quality_report(request: pytest.FixtureRequest) -> list[str]:
    """Append lines here to have them shown under "directory search quality"."""
    return request.config.stash.setdefault(QUALITY_LINES, [])


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    lines = config.stash.get(QUALITY_LINES, [])
    if lines:
        terminalreporter.section("directory search quality")
        for line in lines:
            terminalreporter.write_line(line)
