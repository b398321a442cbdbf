/// The tool's identity as it appears in every manifest.
///
/// `version` changes whenever a result's bytes would (JSON, CSV, report, manifest, calibration file), so that a
/// manifest's version names the behaviour that made it and `verify` refuses to re-run a result with another one;
/// each version's changes are in docs/CHANGELOG.md, whose first entry is this version (a test checks).
public enum ToolInfo {
    public static let name = "lineage"
    public static let version = "0.3.1"
}
