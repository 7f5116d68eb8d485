"""The test suite's own rule: an assertion inside a loop never passes by not running.

A loop over nothing asserts nothing, so a test that checks "every row is right" passes
just as well when there are no rows. The rule, checked over every function in tests/ and its folders:

A *looped assertion* is a `for` loop whose body holds an `assert` or a
`pytest.raises(...)`, or an `assert all(<comprehension>)` (all() of nothing is True).
Each looped assertion needs one of:

1. an iterable that cannot be empty where it is written: a list, tuple, set or dict
   display with at least one item and no `*unpacking`; a non-empty string; `range()` of
   constants that is not empty; a comprehension without `if` over such an iterable;
   `a + b` where `a` or `b` is one; one inside enumerate/sorted/reversed/list/tuple; or a
   name bound only to such an iterable (with `=`, perhaps grown with `+=`) in the
   function, or, if the function never binds it, in the module;
2. another `assert` in the same function that contains the iterable expression itself
   (`assert rows` or `assert len(rows) == 3` for `for row in rows`; for `sorted(rows)`,
   `rows.items()`, `rows + more` or `zip(rows, more, strict=True)`, an assert on `rows`
   will do; bind a call to a name first: `rows = page_rows()`, `assert rows`). It must run whenever the loop does (not inside
   the loop, nor in another loop that does not hold this one) and not be an
   `assert all(...)` itself;
3. for a `for` loop only: an `assert` after the loop, in the same function, on a name the
   loop body adds to (`checked += 1` or `checked.append(...)`, `.add`, `.extend`,
   `.update` in the body; `assert checked` after it).

What it cannot see: assertions in helpers a loop calls, whether a guard assertion really
demands non-empty (`assert rows is not None` would pass the rule), and `if`s around a
guard. Only the first `for` of a comprehension is checked: the later ones depend on it.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
WRAPPERS = {"enumerate", "sorted", "reversed", "list", "tuple"}
GROWERS = {"append", "add", "extend", "update"}
DEFINITIONS = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef


def _own_nodes(scope):
    """(node, the loops around it) for each node of `scope`, not of functions inside it."""
    stack = [(node, ()) for node in scope.body]
    while stack:
        node, loops = stack.pop()
        yield node, loops
        if isinstance(node, DEFINITIONS):
            continue
        for child in ast.iter_child_nodes(node):
            inside = isinstance(node, ast.For | ast.AsyncFor | ast.While) and child in node.body
            stack.append((child, (*loops, id(node)) if inside else loops))


def _asserts_in(nodes) -> bool:
    for statement in nodes:
        for node in ast.walk(statement):
            if isinstance(node, ast.Assert):
                return True
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "pytest.raises":
                return True
    return False


def _is_wrapper(node) -> bool:
    """enumerate(x), sorted(x), ...: empty exactly when x is."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in WRAPPERS
        and bool(node.args)
    )


def _is_display(node) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return bool(node.elts) and not any(isinstance(e, ast.Starred) for e in node.elts)
    if isinstance(node, ast.Dict):
        return bool(node.keys) and None not in node.keys
    return False


def _cannot_be_empty(node, full_names) -> bool:
    if _is_display(node):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str | bytes) and bool(node.value)
    if isinstance(node, ast.Name):
        return node.id in full_names
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _cannot_be_empty(node.left, full_names) or _cannot_be_empty(node.right, full_names)
    if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
        (generator, *more) = node.generators
        return not more and not generator.ifs and _cannot_be_empty(generator.iter, full_names)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        constants = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if (
            constants
            and len(constants) == len(node.args)
            and not node.keywords
            and all(type(c) is int for c in constants)
        ):
            return len(range(*constants)) > 0
    if _is_wrapper(node):
        return _cannot_be_empty(node.args[0], full_names)
    return False


def _bindings(scope) -> tuple[set[str], set[str]]:
    """(names bound in `scope` only to what cannot be empty, every name bound in it)."""
    full, other = set(), set()
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        arguments = scope.args
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        other.update(a.arg for a in [*every, arguments.vararg, arguments.kwarg] if a)
    good = set()
    for node, _loops in _own_nodes(scope):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and _cannot_be_empty(node.value, set())
        ):
            good.add(id(node.targets[0]))
        if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
            good.add(id(node.target))
    for node, _loops in _own_nodes(scope):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            (full if id(node) in good else other).add(node.id)
        if isinstance(node, DEFINITIONS) and not isinstance(node, ast.Lambda):
            other.add(node.name)
    # A name grown with += but never set to a display is not known to be full.
    assigned = {
        node.targets[0].id
        for node, _loops in _own_nodes(scope)
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and _cannot_be_empty(node.value, set())
    }
    return (full & assigned) - other, full | other


def _parts(iterable):
    """The iterable and what it is built from, any of which a guard may name."""
    yield iterable
    if _is_wrapper(iterable):
        yield from _parts(iterable.args[0])
    if isinstance(iterable, ast.BinOp) and isinstance(iterable.op, ast.Add):
        yield from _parts(iterable.left)
        yield from _parts(iterable.right)
    if isinstance(iterable, ast.Call) and not iterable.args:
        func = iterable.func
        if isinstance(func, ast.Attribute) and func.attr in {"keys", "values", "items"}:
            yield from _parts(func.value)
    # zip(..., strict=True) raises unless every argument is as long as the others.
    if (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Name)
        and iterable.func.id == "zip"
        and any(
            k.arg == "strict" and isinstance(k.value, ast.Constant) and k.value.value is True
            for k in iterable.keywords
        )
    ):
        for argument in iterable.args:
            yield from _parts(argument)


def _contains(tree, expression) -> bool:
    wanted = ast.dump(expression)
    return any(ast.dump(node) == wanted for node in ast.walk(tree))


def _is_all_of_comprehension(node) -> bool:
    return (
        isinstance(node, ast.Assert)
        and isinstance(node.test, ast.Call)
        and isinstance(node.test.func, ast.Name)
        and node.test.func.id == "all"
        and len(node.test.args) == 1
        and isinstance(node.test.args[0], ast.GeneratorExp | ast.ListComp | ast.SetComp)
    )


def _looped_assertions(function):
    """(loop or assert node, the loops around it, its iterable) for each looped assertion."""
    for node, loops in _own_nodes(function):
        if isinstance(node, ast.For | ast.AsyncFor) and _asserts_in(node.body):
            yield node, loops, node.iter
        if _is_all_of_comprehension(node):
            yield node, loops, node.test.args[0].generators[0].iter


def _counters(loop) -> set[str]:
    """Names the loop body adds to: `n += 1`, `seen.append(...)`, ..."""
    counters = set()
    for statement in loop.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                counters.add(node.target.id)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in GROWERS
                and isinstance(node.func.value, ast.Name)
            ):
                counters.add(node.func.value.id)
    return counters


def _is_guarded(function, loop, around, iterable) -> bool:
    # A guard counts only if it runs whenever the loop does: not inside the loop
    # itself, nor inside another loop that does not also hold this one; and it
    # must not be vacuous itself.
    others = [
        node
        for node, loops in _own_nodes(function)
        if isinstance(node, ast.Assert)
        and set(loops) <= set(around)
        and node is not loop
        and not _is_all_of_comprehension(node)
    ]
    if any(_contains(other.test, part) for other in others for part in _parts(iterable)):
        return True
    if not isinstance(loop, ast.For | ast.AsyncFor):
        return False
    counters = _counters(loop)
    return any(
        other.lineno > loop.end_lineno
        and any(isinstance(n, ast.Name) and n.id in counters for n in ast.walk(other.test))
        for other in others
    )


def unguarded_loops(source: str) -> list[str]:
    """'line N: <iterable>' for each looped assertion in `source` that breaks the rule."""
    module = ast.parse(source)
    module_full, _ = _bindings(module)
    problems = []
    for function in ast.walk(module):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        local_full, local = _bindings(function)
        full_names = local_full | (module_full - local)
        for loop, around, iterable in _looped_assertions(function):
            if _cannot_be_empty(iterable, full_names):
                continue
            if not _is_guarded(function, loop, around, iterable):
                problems.append((loop.lineno, f"line {loop.lineno}: {ast.unparse(iterable)}"))
    return [problem for _, problem in sorted(problems)]


def test_no_test_asserts_in_a_loop_that_may_not_run():
    files = sorted(TESTS.rglob("*.py"))
    assert len(files) > 10
    problems = [
        f"{path.relative_to(TESTS)} {problem}"
        for path in files
        for problem in unguarded_loops(path.read_text(encoding="utf-8"))
    ]
    assert problems == [], "assert the iterable is not empty first:\n" + "\n".join(problems)


def test_the_rule_flags_a_loop_over_what_may_be_empty():
    source = """
def test_rows(rows, answers, cells):
    for row in rows:
        assert row.ok
    for answer in answers.all():
        with pytest.raises(ValueError):
            answer.check()
    assert all(cell.ok for cell in cells)
    # Vacuous itself, so no guard for the loop above.
    assert all(row for row in rows)
"""
    assert unguarded_loops(source) == [
        "line 3: rows",
        "line 5: answers.all()",
        "line 8: cells",
        "line 10: rows",
    ]


def test_the_rule_flags_a_guard_that_is_inside_the_loop_or_on_something_else():
    source = """
def test_rows(rows, other):
    assert other
    for row in rows:
        assert rows
    seen = 0
    for row in rows:
        assert row.ok
    seen += 1
    assert seen
"""
    assert unguarded_loops(source) == ["line 4: rows", "line 7: rows"]


def test_the_rule_accepts_literal_iterables_and_each_kind_of_guard():
    source = """
def test_rows(rows, cells, page):
    for name in ("a", "b"):
        assert name
    for seed in range(3):
        assert seed >= 0
    for position, name in enumerate(["a"]):
        assert name
    assert len(rows) == 2
    for row in rows:
        assert row.ok
    checked = 0
    for cell in cells:
        assert cell
        checked += 1
    assert checked > 0
    assert page.items
    assert all(item.ok for item in page.items)
"""
    assert unguarded_loops(source) == []


def test_the_rule_does_not_take_an_empty_literal_or_range_for_a_full_one():
    source = """
NAMES = []
more = ["a"]

def test_rows(more):
    for name in ():
        assert name
    for seed in range(0):
        assert seed
    for name in [*names]:
        assert name
    for name in [n for n in NAMES if n]:
        assert name
    for name in more:
        assert name
    for name in NAMES + more:
        assert name
"""
    assert unguarded_loops(source) == [
        "line 6: ()",
        "line 8: range(0)",
        "line 10: [*names]",
        "line 12: [n for n in NAMES if n]",
        "line 14: more",
        "line 16: NAMES + more",
    ]


def test_the_rule_knows_names_bound_to_literals_and_what_an_iterable_is_built_from():
    source = """
SERVICES = ["a.service"]
TIMERS = ["a.timer"]

def test_units(service, found, twins):
    for name in SERVICES + TIMERS:
        assert name
    pages = [("/", {})]
    pages += [("/more", {})]
    for url, headers in pages:
        assert url
    copies = [f"copy{n}" for n in range(3)]
    for copy in copies:
        assert copy
    assert service["ExecStart"]
    for command in service["ExecStart"] + service.get("ExecStartPre", []):
        assert command
    assert len(found) > 3
    for path in sorted(found):
        assert path
    for key, value in found.items():
        assert value
    for path, twin in zip(found, twins, strict=True):
        assert path == twin
"""
    assert unguarded_loops(source) == []


def test_the_rule_forgets_a_literal_name_once_it_is_bound_to_something_else():
    source = """
SERVICES = ["a.service"]

def test_units(load):
    pages = [("/", {})]
    pages = load()
    for url in pages:
        assert url
    grown = load()
    grown += ["x"]
    for name in grown:
        assert name
    for SERVICES in load():
        pass
    for name in SERVICES:
        assert name
    found = load()
    assert found
    for path, twin in zip(found, load()):
        assert path == twin
"""
    assert unguarded_loops(source) == [
        "line 7: pages",
        "line 11: grown",
        "line 15: SERVICES",
        "line 19: zip(found, load())",
    ]
