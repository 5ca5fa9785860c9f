"""Writes the benchmark notebooks for bench/runner: N trivial cells, N chart cells, and a one-cell notebook, in C#
(for `llmops notebook run`) and Python (for the peer, `jupyter nbconvert --execute`). Run with /usr/bin/python3."""
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

folder, n = sys.argv[1], int(sys.argv[2])
csharp = {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}, "language_info": {"name": "C#"}}
python = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "language_info": {"name": "python"}}


def write(name, metadata, sources):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata = metadata
    nbformat.write(nb, f"{folder}/{name}.ipynb")


write("cs-one", csharp, ["var v0 = 0;"])
write("cs-trivial", csharp, [f"var v{i} = {i};" for i in range(n)])
write("cs-chart", csharp, ["using Plotly.NET.CSharp;"] + [
    f"Chart.Line<int, int, string>(x: new[] {{ 1, 2, 3 }}, y: new[] {{ {i}, {i + 1}, {i} }})" for i in range(n - 1)])
write("py-one", python, ["v0 = 0"])
write("py-trivial", python, [f"v{i} = {i}" for i in range(n)])
