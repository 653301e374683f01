package dev.pop3d.containers;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Container tests skip on a machine without a Docker engine, but with
 * {@code -Dit.docker.required=true} (CI) they run and fail if the engine is missing.
 */
public final class DockerCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Boolean.getBoolean("it.docker.required")) {
            return ConditionEvaluationResult.enabled("it.docker.required=true");
        }
        return DockerClientFactory.instance().isDockerAvailable() ? ConditionEvaluationResult.enabled("Docker engine found")
                : ConditionEvaluationResult.disabled("no Docker engine (set -Dit.docker.required=true to fail instead)");
    }
}
