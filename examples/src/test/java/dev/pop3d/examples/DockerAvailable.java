package dev.pop3d.examples;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Skips the class when no Docker engine answers, unless {@code -Dpop3d.docker.required=true} (CI):
 * then the class runs and a missing engine fails it.
 */
public final class DockerAvailable implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Boolean.getBoolean("pop3d.docker.required")) {
            return ConditionEvaluationResult.enabled("a Docker engine is required (pop3d.docker.required=true)");
        }
        String why;
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return ConditionEvaluationResult.enabled("a Docker engine answers");
            }
            why = "no Docker engine reachable";
        } catch (RuntimeException e) { // an engine Testcontainers cannot use, e.g. "network bridge not found"
            why = "no usable Docker engine (" + e.getMessage() + ")";
        }
        return ConditionEvaluationResult.disabled(why + ": skipped (-Dpop3d.docker.required=true makes this a failure)");
    }
}
