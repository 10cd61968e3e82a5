/// Layers module.
public enum LayersModule {}
