import GeoCore

/// The tile pipeline, one function per step so each can be tested and timed alone:
/// select → reproject → clip → simplify → quantize → drop degenerate → (thin points) → encode.
///
/// Steps after select work on one feature in EPSG:3857 metres, then in integer tile coordinates.
public enum TilePipeline {}
