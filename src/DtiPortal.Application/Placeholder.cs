namespace DtiPortal.Application; internal static class Placeholder { }
