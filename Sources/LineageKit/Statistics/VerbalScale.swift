/// The verbal scale for likelihood ratios of the ENFSI guideline for evaluative reporting (2015).
public enum VerbalScale {
    public static func phrase(log10LR: Double) -> String {
        let magnitude = Swift.abs(log10LR)
        let strength: String
        switch magnitude {
        case ..<(0.0 + 1e-9): return "the evidence does not favour either proposition"
        case ..<1: strength = "weak support"
        case ..<2: strength = "moderate support"
        case ..<3: strength = "moderately strong support"
        case ..<4: strength = "strong support"
        case ..<6: strength = "very strong support"
        default: strength = "extremely strong support"
        }
        return log10LR > 0 ? "\(strength) for distillation" : "\(strength) against distillation (for independence)"
    }
}
