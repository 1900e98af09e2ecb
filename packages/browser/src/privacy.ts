/** The globals Do Not Track is read from. */
export type PrivacyEnv = { navigator?: Navigator; doNotTrack?: unknown };

/** True when the browser asks not to be tracked: Global Privacy Control or a Do Not Track header. */
export function doNotTrack(env: PrivacyEnv): boolean {
  const nav = env.navigator as (Navigator & { globalPrivacyControl?: boolean }) | undefined;
  // Old Safari puts the flag on window, old Firefox says 'yes' instead of '1' (IE's msDoNotTrack is gone).
  const flag = nav?.doNotTrack ?? env.doNotTrack;
  return nav?.globalPrivacyControl === true || flag === '1' || flag === 'yes';
}
