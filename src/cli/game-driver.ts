import type { GameCommand, Result } from '../classroom/game-entry.ts';
import { type ScriptedDecision } from '../classroom/command-line.ts';
import { applyCommand, comingTurn, isOver, type Session } from '../classroom/session.ts';
import type { GameLogFile } from '../store/game-log-file.ts';

/**
 * A game being played in this process: the session and its log file. A command is acknowledged only
 * after its entry is on disk (the append fsyncs before `apply` returns).
 */
export class GameDriver {
  constructor(
    public session: Session,
    private readonly log: GameLogFile,
    private readonly scripted: readonly ScriptedDecision[] = [],
  ) {}

  /** Applies a command; when accepted, appends it durably, then returns the new session. */
  apply(command: GameCommand): Result<Session> {
    const r = applyCommand(this.session, command);
    if (!r.ok) return r;
    const entry = r.value.log[r.value.log.length - 1];
    if (entry !== undefined) this.log.append(entry);
    this.session = r.value;
    return r;
  }

  /**
   * Applies the moves file's decisions for the coming turn that the log does not already hold (so a
   * resumed game does not repeat them). Returns each refused one as a message.
   */
  applyScripted(onApplied?: (command: GameCommand) => void): Array<{ decision: ScriptedDecision; message: string }> {
    const failed: Array<{ decision: ScriptedDecision; message: string }> = [];
    if (isOver(this.session) || this.session.phase !== 'deciding') return failed;
    const turn = comingTurn(this.session);
    for (const d of this.scripted) {
      if (d.turn !== turn) continue;
      const pending = this.session.pending.decisions.find((x) => x.actor === d.actor);
      if (pending !== undefined && pending.by === 'moves file') continue;
      const command: GameCommand = { kind: 'decide', turn, actor: d.actor, moves: d.moves === 'policy' ? 'policy' : [...d.moves], by: 'moves file' };
      const r = this.apply(command);
      if (!r.ok) failed.push({ decision: d, message: r.problem.message });
      else onApplied?.(command);
    }
    return failed;
  }

  /** True when the moves file decides for this team in the coming turn. */
  isScripted(actor: string): boolean {
    const turn = comingTurn(this.session);
    return this.scripted.some((d) => d.turn === turn && d.actor === actor);
  }

  close(): void {
    this.log.close();
  }
}
