namespace Domus.Api;

/// <summary>A network card to plug into a running domain, in the vif spec language (<c>bridge=xenbr0,model=e1000</c>).</summary>
public sealed record AttachVifRequest(string Spec);
