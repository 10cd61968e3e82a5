/// SampleCity module.
public enum SampleCityModule {}
