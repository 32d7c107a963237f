namespace DtiPortal.Domain;

/// <summary>Raised when a domain rule is broken; the message is Vietnamese and shown to users.</summary>
public sealed class DomainException(string message) : Exception(message);
