namespace DtiPortal.Web.Features.Admin.Rounds;

/// <summary>What the rounds page asks <see cref="RoundActionDialog"/> to do with one round.</summary>
public enum RoundAction { Close, Extend, Publish }
