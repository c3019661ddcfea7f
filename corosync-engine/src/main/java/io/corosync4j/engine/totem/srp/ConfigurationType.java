package io.corosync4j.engine.totem.srp;

/** The two configurations of extended virtual synchrony ({@code enum totem_configuration_type}). */
public enum ConfigurationType {

	/** The members that move together from the old ring to the new one; old-ring messages follow it. */
	TRANSITIONAL,

	/** The new ring's members; new-ring messages follow it. */
	REGULAR

}
