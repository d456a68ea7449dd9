/// lede's version. Part of every build cache key, so a new lede rebuilds everything.
public enum LedeVersion {
    public static let string = "0.1.0"
}
