/// The tool's identity as it appears in every manifest.
public enum ToolInfo {
    public static let name = "lineage"
    public static let version = "0.1.0"
}
