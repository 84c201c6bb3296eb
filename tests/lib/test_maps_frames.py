"""The council map's rule for detail frames (gunmane_geo.maps.frames), used by the plugin."""
from gunmane_geo.maps.frames import detail_frames, square_frame


def test_square_frame_keeps_the_centre_and_the_least_span():
    assert square_frame((0, 0, 10, 20), min_span=100, margin=0.0) == (-45, -40, 55, 60)
    assert square_frame((0, 0, 400, 100), min_span=100, margin=0.25) == (-100, -250, 500, 350)


def test_overlapping_frames_merge_and_the_longest_detour_comes_first():
    routes = [((0, 0, 100, 100), 500.0, "A"), ((150, 0, 250, 100), 900.0, "B"),
              ((10_000, 0, 10_100, 100), 700.0, "C")]
    frames, not_shown = detail_frames(routes, min_span=200, margin=0.15, max_frames=4)
    assert not_shown == 0
    assert [f.bridge_ids for f in frames] == [["B", "A"], ["C"]]
    assert frames[0].detour_m == 900.0
    frames, not_shown = detail_frames(routes, min_span=200, margin=0.15, max_frames=1)
    assert len(frames) == 1 and not_shown == 1
