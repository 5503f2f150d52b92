
from agent.conversation import Conversation, Turn
from inference.messages import GenerationOptions
from inference.router import Router
from tests.fakes import ScriptedBackend


def test_history_grows_turn_by_turn() -> None:
    backend = ScriptedBackend("local", ["Hello", "!"])
    chat = Conversation(Router([backend]))
    turn = Turn()
    list(chat.send("hi", turn))
    list(chat.send("again", Turn()))
    assert turn.answer == "Hello!"
    roles = [m.role for m in backend.requests[-1].messages]
    assert roles == ["system", "user", "assistant", "user"]


def test_fallback_discards_the_partial_answer() -> None:
    router = Router([ScriptedBackend("cloud", ["par", "tial"], fail_after=1),
                     ScriptedBackend("local", ["whole"])], allow_cloud=True, remote=["cloud"])
    turn = Turn()
    list(Conversation(router).send("hi", turn))
    assert turn.answer == "whole" and turn.fallbacks[0].failed == "cloud"


def test_old_turns_are_dropped_to_fit_the_window() -> None:
    backend = ScriptedBackend("local", ["x" * 400])
    chat = Conversation(Router([backend]), GenerationOptions(max_tokens=100), context_tokens=600)
    for index in range(20):
        list(chat.send(f"question {index} " + "y" * 300, Turn()))
    sent = backend.requests[-1].messages
    assert sent[0].role == "system" and sent[-1].content.startswith("question 19")
    assert len(sent) < 10
