"""The package's import graph, read with `ast`: no cycles, and no arrow that points up the layers.

Layers (README, "Layout"): core -> data -> models -> evaluation and teachers -> methods -> runs and figures -> bench and cli.
An import may point down or stay inside its layer (acyclically); imports inside functions count like top-level ones.
"""
import ast
from pathlib import Path
import pytest

PKG = Path(__file__).resolve().parents[1]/'prism_nb'
LAYERS = [
    ('core', {'core', 'distributed'}),
    ('data', {'videos', 'keyframes', 'io', 'synth', 'datasets', 'cache', 'artifacts', 'premise', 'published'}),
    ('models', {'models', 'temporal'}),
    ('evaluation', {'evaluate', 'teachers'}),
    ('methods', {'methods', 'condense', 'selection', 'static_dynamic', 'edc', 'mtt'}),
    ('runs', {'runs', 'viz', 'figures', 'analysis'}),
    ('interfaces', {'bench', 'cli'}),
]
LAYER_OF = {m: i for i, (_, ms) in enumerate(LAYERS) for m in ms}
SKIP = {'__init__', '_modidx'}

def package_modules():
    "Module name -> path of every module of the package."
    return {p.stem: p for p in sorted(PKG.glob('*.py')) if p.stem not in SKIP}

def imports_of(path, modules):
    "Set of (imported package module, line) of one module, from every import statement, wherever it sits."
    out = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            name = node.module or ''
            if node.level == 1: name = f'prism_nb.{name}' if name else 'prism_nb'
            targets = [name] + ([f'prism_nb.{a.name}' for a in node.names] if name == 'prism_nb' else [])
        elif isinstance(node, ast.Import): targets = [a.name for a in node.names]
        else: continue
        for t in targets:
            parts = t.split('.')
            if parts[0] == 'prism_nb' and len(parts) > 1 and parts[1] in modules: out.add((parts[1], node.lineno))
    return out

def import_graph():
    "Module -> {imported module: first line}."
    mods = package_modules(); g = {}
    for m, p in mods.items():
        g[m] = {}
        for t, line in sorted(imports_of(p, mods)):
            if t != m: g[m].setdefault(t, line)
    return g

def find_cycle(g):
    "One import cycle as a list of modules, or None."
    state, stack = {}, []
    def visit(m):
        state[m] = 'open'; stack.append(m)
        for t in g.get(m, {}):
            if state.get(t) == 'open': return stack[stack.index(t):] + [t]
            if t not in state and (c := visit(t)): return c
        state[m] = 'done'; stack.pop(); return None
    for m in g:
        if m not in state and (c := visit(m)): return c
    return None

def test_every_module_has_a_layer():
    missing = sorted(set(package_modules()) - set(LAYER_OF))
    assert not missing, f"modules without a layer in tests/test_layers.py: {missing}"

def test_no_cycle():
    c = find_cycle(import_graph())
    assert c is None, f"import cycle: {' -> '.join(c)}"

def test_no_upward_arrow():
    up = [f"prism_nb/{m}.py:{line} imports {t} ({LAYERS[LAYER_OF[t]][0]}), above its own layer ({LAYERS[LAYER_OF[m]][0]})"
          for m, ts in import_graph().items() for t, line in ts.items() if LAYER_OF.get(t, -1) > LAYER_OF.get(m, 99)]
    assert not up, '\n'.join(up)

def test_the_checks_can_fail():
    "The graph checks catch a planted cycle and a planted upward arrow."
    assert find_cycle({'a': {'b': 1}, 'b': {'c': 1}, 'c': {'a': 1}}) == ['a', 'b', 'c', 'a']
    assert find_cycle({'a': {'b': 1}, 'b': {}}) is None
    src = "from .bench import x\nimport prism_nb.cli\ndef f():\n    from prism_nb.runs import y\nfrom prism_nb import viz\n"
    p = Path(__file__).with_name('_planted.py')
    try:
        p.write_text(src); got = {t for t, _ in imports_of(p, {'bench', 'cli', 'runs', 'viz'})}
    finally: p.unlink()
    assert got == {'bench', 'cli', 'runs', 'viz'}
