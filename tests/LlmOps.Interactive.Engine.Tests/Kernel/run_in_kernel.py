"""Executes one notebook in a Jupyter kernel with Debian's nbclient and writes the executed copy.

Usage: run_in_kernel.py NOTEBOOK OUT_NOTEBOOK WORKING_FOLDER KERNEL_NAME CELL_TIMEOUT_S SUMMARY_JSON

The notebook runs with WORKING_FOLDER as the kernel's current folder (where the original notebook lives, so its
nuget.config and relative paths work). Errors do not stop the run (allow_errors), so the caller sees every failing
cell. SUMMARY_JSON receives, per code cell index, how many update_display_data messages arrived and how long the
cell took: nbclient folds updates into the saved outputs, and the test needs to know they came as updates; also
how many of those updates carried plotly.js (LlmOps.Interactive's PlotlyJs.Marker in their HTML) and how many bytes
of HTML the updates carried in all.
"""
import json
import sys
import time

import nbformat
from nbclient import NotebookClient


# The tail of PlotlyJs.Marker ("/* plotly.js VERSION, embedded once per document */"), whatever the version.
LIBRARY_MARKER = ", embedded once per document */"


class CountingClient(NotebookClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.updates = {}
        self.library_updates = {}
        self.update_bytes = {}
        self.seconds = {}

    def process_message(self, msg, cell, cell_index):
        if msg.get("msg_type") == "update_display_data":
            self.updates[cell_index] = self.updates.get(cell_index, 0) + 1
            html = msg.get("content", {}).get("data", {}).get("text/html", "")
            self.update_bytes[cell_index] = self.update_bytes.get(cell_index, 0) + len(html.encode("utf-8"))
            if LIBRARY_MARKER in html:
                self.library_updates[cell_index] = self.library_updates.get(cell_index, 0) + 1
        return super().process_message(msg, cell, cell_index)

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        start = time.monotonic()
        try:
            return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
        finally:
            self.seconds[cell_index] = round(time.monotonic() - start, 2)


def main():
    source, target, folder, kernel, timeout, summary = sys.argv[1:7]
    nb = nbformat.read(source, as_version=4)
    client = CountingClient(nb, kernel_name=kernel, timeout=int(timeout), allow_errors=True,
                            startup_timeout=180, resources={"metadata": {"path": folder}})
    start = time.monotonic()
    client.execute()
    total = round(time.monotonic() - start, 2)
    nbformat.write(nb, target)
    with open(summary, "w", encoding="utf-8") as f:
        json.dump({"seconds": total, "cellSeconds": client.seconds, "updates": client.updates,
                   "libraryUpdates": client.library_updates, "updateBytes": client.update_bytes}, f)


if __name__ == "__main__":
    main()
