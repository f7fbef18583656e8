namespace OnePixel.Testing.Attacks;

/// <summary>Reported after each attack finishes, for progress bars and TestContext.Progress.</summary>
public readonly record struct AttackProgress(int Done, int Total, int Fooled, ImageAttackResult Latest);
