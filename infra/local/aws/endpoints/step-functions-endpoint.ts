import { JsonRpcService, jsonRpcOperation } from '../http/json-rpc-protocol.ts';
import type { LocalStepFunctions } from '../step-functions/local-step-functions.ts';
import { operationInputs as inputs } from '../step-functions/operation-inputs.ts';

/** Step Functions over its JSON 1.0 protocol (`X-Amz-Target: AWSStepFunctions.<Operation>`). */
export function stepFunctionsEndpoint(stepFunctions: LocalStepFunctions): JsonRpcService {
  return new JsonRpcService({
    service: 'Step Functions',
    targetPrefix: 'AWSStepFunctions',
    jsonVersion: '1.0',
    errorTypePrefix: 'com.amazonaws.sfn#',
    operations: {
      StartExecution: jsonRpcOperation(inputs.StartExecution, (input) => stepFunctions.startExecution(input)),
      DescribeExecution: jsonRpcOperation(inputs.DescribeExecution, (input) =>
        stepFunctions.describeExecution(input),
      ),
      ListExecutions: jsonRpcOperation(inputs.ListExecutions, (input) => stepFunctions.listExecutions(input)),
      GetExecutionHistory: jsonRpcOperation(inputs.GetExecutionHistory, (input) =>
        stepFunctions.getExecutionHistory(input),
      ),
      SendTaskSuccess: jsonRpcOperation(inputs.SendTaskSuccess, (input) =>
        stepFunctions.sendTaskSuccess(input),
      ),
      SendTaskFailure: jsonRpcOperation(inputs.SendTaskFailure, (input) =>
        stepFunctions.sendTaskFailure(input),
      ),
      SendTaskHeartbeat: jsonRpcOperation(inputs.SendTaskHeartbeat, (input) =>
        stepFunctions.sendTaskHeartbeat(input),
      ),
      StopExecution: jsonRpcOperation(inputs.StopExecution, (input) => stepFunctions.stopExecution(input)),
      DescribeStateMachine: jsonRpcOperation(inputs.DescribeStateMachine, (input) =>
        stepFunctions.describeStateMachine(input),
      ),
      DescribeStateMachineForExecution: jsonRpcOperation(inputs.DescribeStateMachineForExecution, (input) =>
        stepFunctions.describeStateMachineForExecution(input),
      ),
      ListStateMachines: jsonRpcOperation(inputs.ListStateMachines, (input) =>
        stepFunctions.listStateMachines(input),
      ),
    },
  });
}
