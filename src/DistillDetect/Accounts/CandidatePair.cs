namespace DistillDetect.Accounts;

/// <summary>Two accounts worth comparing, as indices into the profile list given to the finder; <see cref="First"/> &lt; <see cref="Second"/>.</summary>
/// <param name="First">Index of the first profile.</param>
/// <param name="Second">Index of the second profile.</param>
public readonly record struct CandidatePair(int First, int Second);
