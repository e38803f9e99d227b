/** JSON as states pass it to each other. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A Retry or Catch entry of a Task state. */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

/** One state of a (checked) definition; the members the local engine reads, by state type. */
export interface StateDefinition {
  readonly Type: 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Succeed' | 'Fail';
  readonly Comment?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
  readonly ResultPath?: string | null;
  readonly Parameters?: JsonValue;
  readonly ResultSelector?: JsonValue;
  // Task
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
  readonly TimeoutSecondsPath?: string;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
  // Pass
  readonly Result?: JsonValue;
  // Choice
  readonly Choices?: readonly JsonObject[];
  readonly Default?: string;
  // Wait
  readonly Seconds?: number;
  readonly SecondsPath?: string;
  readonly Timestamp?: string;
  readonly TimestampPath?: string;
  // Fail
  readonly Error?: string;
  readonly Cause?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
}

export interface MachineDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, StateDefinition>>;
  readonly TimeoutSeconds?: number;
  readonly Comment?: string;
}
