"""Dev-only: copy the browser assets the map needs into static/vendor/ from the npm registry.

    python scripts/vendor_assets.py        # needs `npm` (it runs `npm pack NAME@VERSION`)

The files are committed, so the app never loads them from a CDN at run time (offline first).
Each package keeps its licence file beside it.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static" / "vendor"

#: npm package, pinned version, files taken from the tarball's ``package/`` folder.
ASSETS = {
    ("leaflet", "1.9.4"): [
        "dist/leaflet.js",
        "dist/leaflet.css",
        "dist/images/layers.png",
        "dist/images/layers-2x.png",
        "dist/images/marker-icon.png",
        "dist/images/marker-icon-2x.png",
        "dist/images/marker-shadow.png",
        "LICENSE",
    ],
    # a static k-d tree of points: the site layer (static/sitelayer.js) asks it which sites lie
    # in the view (to draw) and under the pointer (hover, click)
    ("kdbush", "4.1.0"): ["kdbush.min.js", "LICENSE"],
}


def vendor(name: str, version: str, files: list[str]) -> None:
    target = STATIC / f"{name}-{version}"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"{name}@{version}", "--silent"],
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        archive = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        if target.exists():
            shutil.rmtree(target)
        for file in files:
            source = Path(tmp) / "package" / file
            destination = (
                target / Path(file).relative_to("dist")
                if file.startswith("dist/")
                else target / file
            )
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    print(f"vendored {name}@{version} -> {target}")


if __name__ == "__main__":
    for (package, pinned), wanted in ASSETS.items():
        vendor(package, pinned, wanted)
