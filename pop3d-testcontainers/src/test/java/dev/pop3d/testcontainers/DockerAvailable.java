package dev.pop3d.testcontainers;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/** Skips without a Docker engine, unless {@code -Dpop3d.docker.required=true} (CI): then it fails. */
public final class DockerAvailable implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Boolean.getBoolean("pop3d.docker.required")) {
            return ConditionEvaluationResult.enabled("a Docker engine is required (pop3d.docker.required=true)");
        }
        return DockerClientFactory.instance().isDockerAvailable()
                ? ConditionEvaluationResult.enabled("a Docker engine answers")
                : ConditionEvaluationResult.disabled("no Docker engine reachable: skipped "
                        + "(-Dpop3d.docker.required=true makes this a failure)");
    }
}
