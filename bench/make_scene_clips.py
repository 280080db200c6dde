"""Write the camera scenes of tests/scene_clips.py as clips with ground truth, for the scorer.

    python bench/make_scene_clips.py [FOLDER]      # default: a temporary folder, printed
    python bench/presence_clips.py FOLDER          # then score the sensor on them

Made from the real clips in ../shared/data/clips (they are not copied: only frames played back
and forth, shifted, darkened or covered): a man standing ten minutes (one arrival, one leave),
an empty corridor with a knock, a drift, the lights, a flicker, a shadow and a suitcase (zero
arrivals each), and a lens covered while someone stands (no second arrival).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

from tests import scene_clips  # noqa: E402


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="scene-clips-"))
    if not scene_clips.STANDING.exists():
        print(f"no scenes made: {scene_clips.CLIPS} is absent")
        return 1
    makers = [*scene_clips.EMPTY_SCENES, scene_clips.covered_while_standing, scene_clips.standing_minutes]
    for make in makers:
        scene = make()
        path = scene.save(folder)
        print(f"{path}  {len(scene.frames)} frames at {scene.fps:g}/s, {len(scene.arrivals)} arrival(s)")
    print(f"score them: python bench/presence_clips.py {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
