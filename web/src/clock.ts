import { useEffect, useState } from 'preact/hooks';

/** The wall clock, re-read every second while a deadline is shown (pages only; never the server's state). */
export function useClock(deadline: number | null, skew: number): number {
  const [now, setNow] = useState(() => Date.now() + skew);
  useEffect(() => {
    if (deadline === null) return;
    setNow(Date.now() + skew);
    const t = setInterval(() => setNow(Date.now() + skew), 1000);
    return () => clearInterval(t);
  }, [deadline, skew]);
  return now;
}
