package io.corosync4j.spring.cpg;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that receives a CPG group's configuration changes
 * ({@code io.corosync4j.engine.service.cpg.CpgConfigurationChange}): members, who left and who joined
 * and why. They come at the same point of the group's order as on every other member, between the
 * messages of {@link CpgListener} methods of the same group.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CpgMembershipListener {

	/** The CPG group; {@code ${…}} placeholders are resolved, then a {@code #{…}} expression is evaluated. */
	String group();

}
