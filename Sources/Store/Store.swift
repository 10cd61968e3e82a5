/// Store module.
public enum StoreModule {}
