package dev.pop3d.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The range of a number key of a mapping ({@code int} or {@code long}), checked by
 * {@link MappingConstraints} when the configuration is built: a value outside it is the problem
 * {@code <key> <message>}. See ADR 0014 for why this is not Bean Validation.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Bounds {
    long min() default Long.MIN_VALUE;

    long max() default Long.MAX_VALUE;

    /** Literal text after the key, e.g. {@code must be at least 1}. */
    String message();

    /** The text for a value above the maximum, when it differs from {@link #message()}. */
    String aboveMessage() default "";
}
