/// GeoCore: geometry values, WKB/WKT/GeoJSON codecs, GEOS operations, PROJ transforms and tile math.
public enum GeoCore {}
