/** The globals Do Not Track is read from. */
export type PrivacyEnv = { navigator?: Navigator; doNotTrack?: unknown };

/** True when the browser asks not to be tracked: Global Privacy Control or a Do Not Track header. */
export function doNotTrack(env: PrivacyEnv): boolean {
  const nav = env.navigator as (Navigator & { globalPrivacyControl?: boolean; msDoNotTrack?: string }) | undefined;
  if (!nav) return false;
  // Old Safari and IE put the flag on window or under an ms prefix, and say 'yes' instead of '1'.
  const flag = nav.doNotTrack ?? env.doNotTrack ?? nav.msDoNotTrack;
  return nav.globalPrivacyControl === true || flag === '1' || flag === 'yes';
}
