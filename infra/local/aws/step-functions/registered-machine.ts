import type { MachineDefinition } from './asl-types.ts';
import type { TaskBinding } from './task-binding.ts';

/** A state machine the local service serves: its ARN, checked definition and bound tasks. */
export interface RegisteredMachine {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  /** The definition as registered (placeholders substituted), for DescribeStateMachine. */
  readonly definition: MachineDefinition;
  readonly tasks: ReadonlyMap<string, TaskBinding>;
  readonly creationDate: Date;
}
