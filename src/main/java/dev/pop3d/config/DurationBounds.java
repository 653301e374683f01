package dev.pop3d.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The range of a {@code Duration} key of a mapping, in milliseconds, checked by
 * {@link MappingConstraints}; a value outside it is the problem {@code <key> <message>}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DurationBounds {
    long minMillis() default Long.MIN_VALUE;

    long maxMillis() default Long.MAX_VALUE;

    /** Literal text after the key, e.g. {@code must be at least 1s}. */
    String message();

    /** The text for a value above the maximum, when it differs from {@link #message()}. */
    String aboveMessage() default "";
}
