"""Trainee progress files lose nothing: concurrent writers keep every answer, a file of the wrong shape is refused
like a corrupt one, and a trainee id that could escape the progress folder or hide a control character is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

WRITERS, ANSWERS = 4, 50

WRITER = textwrap.dedent("""
    import sys
    from widgets import progress
    writer = sys.argv[1]
    for i in range(int(sys.argv[2])):
        progress.record_quiz("shared-trainee", "csec-101", i % 5, 5, [f"{writer}-{i}"], [])
        progress.record_vignette("shared-trainee", f"{writer}-{i}", "csec-101", 1, 1)
""")


@pytest.fixture()
def progress_dir(tmp_path, monkeypatch):
    folder = tmp_path / "progress"
    monkeypatch.setenv("CSEC_PROGRESS_DIR", str(folder))
    return folder


def test_four_processes_writing_fifty_answers_each_leave_all_of_them(progress_dir, repo_root):
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, f"w{n}", str(ANSWERS)], cwd=repo_root,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for n in range(WRITERS)]
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err.decode()
    data = json.loads((progress_dir / "shared-trainee.json").read_text(encoding="utf-8"))
    quiz_answers = sorted(a["questions"][0] for a in data["quizzes"]["csec-101"])
    expected = sorted(f"w{n}-{i}" for n in range(WRITERS) for i in range(ANSWERS))
    assert len(quiz_answers) == WRITERS * ANSWERS == 200
    assert quiz_answers == expected
    assert sorted(data["vignettes"]) == expected
    assert not list(progress_dir.glob("*.tmp"))


CORRUPT = "{ not json"
WRONG_SHAPES = [
    "[]",
    '"just text"',
    '{"vignettes": []}',
    '{"quizzes": {"csec-101": {"score": 1}}}',
    '{"quizzes": {"csec-101": [1, 2]}}',
    '{"vignettes": {"maya": {"module": "csec-101", "attempts": "none"}}}',
    '{"vignettes": {"maya": {"module": "csec-101", "attempts": [{"at": "x"}]}}}',
]


@pytest.mark.parametrize("text", [CORRUPT, *WRONG_SHAPES])
def test_a_wrong_shape_gets_the_same_one_line_error_as_a_corrupt_file(progress_dir, text):
    from widgets import progress

    progress_dir.mkdir()
    path = progress_dir / "trainee-five.json"
    path.write_text(text, encoding="utf-8")
    for call in (lambda: progress.load_progress("trainee-five"),
                 lambda: progress.record_vignette("trainee-five", "maya", "csec-101", 1, 1),
                 lambda: progress.completion_summary("trainee-five")):
        with pytest.raises(ValueError) as caught:
            call()
        message = str(caught.value)
        assert message.startswith(f"{path}: not a progress file (")
        assert message.endswith("); move it aside to start again")
        assert "\n" not in message
    assert path.read_text(encoding="utf-8") == text  # a refused file is never overwritten


@pytest.mark.parametrize("name", ["trainee\n", "trainee\r", "tab\tname", "nul\x00", "bell\x07", "a/b", "a\\b",
                                  "..", "a..b", "../up", "/abs", ".hidden", "", "x" * 65, "caf\u00e9\u200b"])
def test_unsafe_trainee_ids_are_refused_with_a_clear_message(progress_dir, name):
    from widgets import progress

    with pytest.raises(ValueError, match=r"trainee name .*: use letters, digits"):
        progress.record_quiz(name, "csec-101", 1, 1, [], [])
    assert not progress_dir.exists() or not any(progress_dir.iterdir())


def test_plain_trainee_ids_still_work(progress_dir):
    from widgets import progress

    for name in ("trainee.one", "T-2", "a_b"):
        progress.record_quiz(name, "csec-101", 2, 3, ["q"], ["q"])
        assert progress.load_progress(name)["quizzes"]["csec-101"][0]["score"] == 2


# --- a save that fails is said in the exercise, and the answer kept to retry ----------------------------------

def _answer_anything(quiz) -> None:
    q = quiz.question
    if q.kind in ("single", "true_false"):
        quiz.control.value = 0
    elif q.kind == "multiple":
        next(iter(quiz.choice_boxes.values())).value = True
    else:
        for dd, index in zip(quiz.position_dropdowns, range(len(q.choices))):
            dd.value = index


def _not_saved(saver) -> str:
    assert saver.retry_button.layout.display != "none", "the retry button is hidden"
    assert "Your answers were not saved." in saver.status.value
    return saver.status.value


def test_a_corrupt_progress_file_is_said_in_the_vignette_and_the_attempt_kept(progress_dir, corpus):
    from widgets import VignettePlayer

    progress_dir.mkdir()
    path = progress_dir / "trainee-six.json"
    path.write_text(CORRUPT, encoding="utf-8")
    sid = next(iter(s for s in corpus.scenarios.values() if s.status == "approved")).id
    player = VignettePlayer(sid, corpus=corpus, trainee="trainee-six")
    player.acknowledge_button.click()
    player.check_button.click()
    assert "decisions right" in player.feedback_html.value  # the feedback is shown either way
    shown = _not_saved(player.saver)
    assert "not a progress file" in shown and "trainee-six.json" in shown
    assert path.read_text(encoding="utf-8") == CORRUPT  # never overwritten
    path.unlink()  # the trainee moves the file aside, as the message says
    player.saver.retry_button.click()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert [a["score"] for a in saved["vignettes"][sid]["attempts"]] == [player.feedback.score]
    assert player.saver.status.value == "" and player.saver.retry_button.layout.display == "none"


def test_a_full_disk_is_said_in_the_quiz_and_the_score_saved_on_retry(progress_dir, corpus, monkeypatch):
    import errno

    from widgets import Quiz, progress

    real_write = progress._write

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(progress, "_write", full)
    quiz = Quiz(module="csec-101", n=1, seed=1, trainee="trainee-seven", corpus=corpus)
    _answer_anything(quiz)
    quiz.submit_button.click()
    quiz.next_button.click()
    assert quiz.finished and "Final score" in quiz.feedback_html.value
    assert quiz.saved_to is None
    assert "No space left on device" in _not_saved(quiz.saver)
    assert len(quiz.saver.pending) == 1
    monkeypatch.setattr(progress, "_write", real_write)  # space was freed
    quiz.saver.retry_button.click()
    saved = json.loads((progress_dir / "trainee-seven.json").read_text(encoding="utf-8"))
    assert [a["score"] for a in saved["quizzes"]["csec-101"]] == [quiz.score]
    assert quiz.saver.pending == []


def test_a_progress_folder_that_cannot_be_made_is_said_in_the_exercise(monkeypatch, corpus):
    from widgets import Quiz

    monkeypatch.setenv("CSEC_PROGRESS_DIR", "/dev/null/progress")  # not a folder: every write fails
    quiz = Quiz(module="csec-101", n=1, seed=2, trainee="trainee-eight", corpus=corpus)
    _answer_anything(quiz)
    quiz.submit_button.click()
    quiz.next_button.click()
    assert "/dev/null/progress" in _not_saved(quiz.saver)


HOSTILE = yaml.safe_load((Path(__file__).resolve().parent / "fixtures" / "hostile" / "expected.yaml")
                         .read_text(encoding="utf-8"))["progress"]
LOAD = textwrap.dedent("""
    import sys
    from widgets import progress
    try:
        progress.load_progress(sys.argv[1])
    except ValueError as e:
        print(e)
""")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_progress_file_that_is_a_pipe_a_device_or_too_deep_is_refused_in_one_line(progress_dir, repo_root, name):
    progress_dir.mkdir()
    path = progress_dir / f"trainee-{name}.json"
    if name == "fifo":
        os.mkfifo(path)
    elif name == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    # In a child process: a reader that waits on the pipe or reads /dev/zero forever fails by the timeout here.
    result = subprocess.run([sys.executable, "-c", LOAD, f"trainee-{name}"], cwd=repo_root, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "CSEC_PROGRESS_DIR": str(progress_dir)})
    assert result.returncode == 0 and result.stderr == "", result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}: not a progress file ("), result.stdout
    assert HOSTILE[name]["message_contains"] in lines[0]
