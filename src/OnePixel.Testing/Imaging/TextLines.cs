using System.Text;

namespace OnePixel.Testing.Imaging;

/// <summary>
/// Reads a text file line by line into one reused buffer, so that listing a large file (a CSV of
/// 10,000 images is about 30 MB of text) allocates nothing per line. Lines end as
/// <see cref="File.ReadLines(string)"/> ends them (\n, \r or \r\n), and are numbered the same way.
/// </summary>
internal sealed class TextLines : IDisposable
{
    private readonly StreamReader _reader;
    private char[] _buffer = new char[64 * 1024];
    private int _start;
    private int _end;
    private bool _ended;

    public TextLines(string path) => _reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    /// <summary>The number of the line <see cref="TryRead"/> gave last, counted from 1.</summary>
    public int Number { get; private set; }

    /// <summary>The next line, without its line end; valid until the next call.</summary>
    public bool TryRead(out ReadOnlySpan<char> line)
    {
        while (true)
        {
            var data = _buffer.AsSpan(_start, _end - _start);
            var end = data.IndexOfAny('\n', '\r');
            // A \r as the last character read may be the first half of \r\n: read on before deciding.
            if (end >= 0 && !(data[end] == '\r' && end == data.Length - 1 && !_ended))
            {
                line = data[..end];
                _start += end + (data[end] == '\r' && end + 1 < data.Length && data[end + 1] == '\n' ? 2 : 1);
                Number++;
                return true;
            }
            if (_ended)
            {
                if (data.IsEmpty)
                {
                    line = default;
                    return false;
                }
                line = data;
                _start = _end;
                Number++;
                return true;
            }
            Fill();
        }
    }

    /// <summary>Moves the unread text to the front (growing the buffer when a line fills it) and reads more.</summary>
    private void Fill()
    {
        var unread = _end - _start;
        if (unread == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        else if (_start > 0)
            _buffer.AsSpan(_start, unread).CopyTo(_buffer);
        _start = 0;
        _end = unread;
        var read = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _ended = true;
        _end += read;
    }

    public void Dispose() => _reader.Dispose();
}
