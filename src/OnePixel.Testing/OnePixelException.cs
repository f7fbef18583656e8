namespace OnePixel.Testing;

/// <summary>
/// A problem with the user's input (a model, an image, a label, an option) that the user can fix.
/// The message names the file or field, what was expected and what was found.
/// </summary>
public class OnePixelException : Exception
{
    public OnePixelException(string message) : base(message) { }
    public OnePixelException(string message, Exception inner) : base(message, inner) { }
}
