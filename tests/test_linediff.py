"""The fixer's diffs show an unchanged line as unchanged, however often it repeats."""

from __future__ import annotations

import difflib
import random

import pytest

from flake8_azureml_v2.engine import linediff


def _changed(opcodes: list[linediff.Opcode]) -> int:
    return sum((i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal")


def test_a_repeated_line_between_edits_stays_context() -> None:
    """Past 200 lines difflib's matcher ignores a line that makes up over 1% of the text, so a
    commented-out ``#except Exception:`` between two rewritten lines showed as removed and added."""
    old = [f"value_{i} = {i}\n" if i % 5 else "    #except Exception:\n" for i in range(400)]
    new = list(old)
    new[199], new[201] = "changed_a = 1\n", "changed_b = 2\n"
    assert old[200] == "    #except Exception:\n"
    plain = difflib.SequenceMatcher(None, old, new).get_opcodes()
    assert _changed(plain) > 4  # the heuristic this module corrects
    hunk = list(linediff.unified(old, new, "a/f.py", "b/f.py"))
    assert hunk[:3] == ["--- a/f.py\n", "+++ b/f.py\n", "@@ -197,9 +197,9 @@\n"]
    assert "     #except Exception:\n" in hunk  # context, not a removal and an addition
    assert [line for line in hunk if line.startswith(("-", "+"))][2:] == [
        "-value_199 = 199\n", "+changed_a = 1\n", "-value_201 = 201\n", "+changed_b = 2\n"]


@pytest.mark.parametrize("seed", range(40))
def test_short_texts_diff_as_difflib_does(seed: int) -> None:
    """Below difflib's heuristic the two matchers agree line for line, headers and ranges too."""
    rng = random.Random(seed)
    old = [rng.choice(["x\n", "\n", f"line {rng.randint(0, 20)}\n"]) for _ in range(rng.randint(0, 80))]
    new = list(old)
    for _ in range(rng.randint(0, 6)):
        if new and rng.random() < 0.4:
            del new[rng.randrange(len(new))]
        else:
            new.insert(rng.randint(0, len(new)), f"added {rng.randint(0, 9)}\n")
    assert list(linediff.unified(old, new, "a/f", "b/f")) == list(difflib.unified_diff(old, new, "a/f", "b/f"))


@pytest.mark.parametrize("seed", range(10))
def test_long_texts_change_no_more_lines_than_an_exact_match(seed: int) -> None:
    rng = random.Random(seed)
    old = ["\n" if i % 3 == 0 else "    pass\n" if i % 7 == 0 else f"line {i}\n" for i in range(900)]
    new = list(old)
    for _ in range(25):
        at = rng.randrange(len(new))
        new[at:at + 1] = ["edited\n", "    pass\n"]
    ours = linediff.LineMatcher(old, new).get_opcodes()
    exact = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    assert _changed(ours) == _changed(exact)
    rebuilt, at = [], 0
    for _, i1, i2, j1, j2 in ours:
        rebuilt += new[j1:j2]
        at = i2
    assert rebuilt == new and at == len(old)
