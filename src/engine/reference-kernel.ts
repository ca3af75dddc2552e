import { type Actor, type AnyStateMachine, createActor, type StateValue } from 'xstate';
import { buildMachine, DeliveryLog, type Envelope } from '../model/build-machine.ts';
import type { EventInstance, Model, WorldView } from '../model/types.ts';
import type { Kernel } from './kernel.ts';

/** The reference semantics: one XState v5 actor per scenario actor. */
export class ReferenceKernel implements Kernel {
  readonly name = 'reference' as const;
  private readonly machines: AnyStateMachine[];
  private readonly values: StateValue[][];
  private actors: Array<Actor<AnyStateMachine>> = [];
  private readonly scratch = new DeliveryLog();
  private readonly handled: ReadonlyArray<ReadonlySet<number>>;
  /** Per actor, the turn each state was last entered (0: initially active). */
  private readonly entered: Int32Array[];

  constructor(private readonly model: Model) {
    this.machines = model.actors.map((a) => buildMachine(model, a));
    this.values = model.actors.map((a) => a.states.map((s) => toStateValue(s.path)));
    this.handled = model.actors.map((a) => new Set(a.transitions.map((t) => t.event)));
    this.entered = model.actors.map((a) => new Int32Array(a.states.length));
  }

  handles(actor: number, type: number): boolean {
    return (this.handled[actor] as ReadonlySet<number>).has(type);
  }

  reset(): void {
    for (const a of this.actors) a.stop();
    this.actors = this.machines.map((m) => createActor(m).start());
    for (const e of this.entered) e.fill(0);
  }

  can(actor: number, event: EventInstance, world: WorldView): boolean {
    this.scratch.clear();
    return this.actor(actor).getSnapshot().can(this.envelope(event, world, this.scratch));
  }

  deliver(actor: number, event: EventInstance, world: WorldView, log: DeliveryLog): void {
    const from = log.enteredCount;
    this.actor(actor).send(this.envelope(event, world, log));
    const entered = this.entered[actor] as Int32Array;
    for (let i = from; i < log.enteredCount; i++) entered[log.entered[i] as number] = event.turn;
  }

  enteredAt(actor: number, state: number): number {
    return (this.entered[actor] as Int32Array)[state] as number;
  }

  inState(actor: number, state: number): boolean {
    if (state === 0) return true;
    return this.actor(actor).getSnapshot().matches((this.values[actor] as StateValue[])[state] as StateValue);
  }

  label(actor: number): string {
    return leafPaths(this.actor(actor).getSnapshot().value as StateValue, '').join(', ');
  }

  private actor(i: number): Actor<AnyStateMachine> {
    const a = this.actors[i];
    if (a === undefined) throw new Error('ReferenceKernel: reset() before use');
    return a;
  }

  private envelope(instance: EventInstance, world: WorldView, log: DeliveryLog): Envelope {
    return { type: (this.model.events[instance.type] as { id: string }).id, instance, world, log };
  }
}

function toStateValue(path: string): StateValue {
  if (path === '') return {};
  const parts = path.split('.');
  let value: StateValue = parts[parts.length - 1] as string;
  for (let i = parts.length - 2; i >= 0; i--) value = { [parts[i] as string]: value };
  return value;
}

function leafPaths(value: StateValue, prefix: string): string[] {
  if (typeof value === 'string') return [prefix === '' ? value : `${prefix}.${value}`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const p = prefix === '' ? k : `${prefix}.${k}`;
    if (v === undefined || (typeof v === 'object' && Object.keys(v).length === 0)) out.push(p);
    else out.push(...leafPaths(v as StateValue, p));
  }
  return out;
}
