namespace DistillDetect.Cli.Commands;

/// <summary>The command line is wrong (unknown option, missing argument, bad number): exit code 2.</summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the exception with a message that names the offending argument.</summary>
    public UsageException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with no message (required by the exception pattern).</summary>
    public UsageException()
    {
    }

    /// <summary>Creates the exception wrapping another (required by the exception pattern).</summary>
    public UsageException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
