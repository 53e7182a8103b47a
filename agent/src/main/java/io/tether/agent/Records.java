package io.tether.agent;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds the wire contract's records ({@code io.tether.api}) to the values {@link Json}
 * reads and writes, at the edge: the agent keeps its small codec (no Jackson in its heap)
 * and still reads and writes the same types as the server, so a renamed or retyped field
 * fails the compile. Handles what the contract uses: strings, instants, numbers,
 * booleans, lists and nested records. A member the server leaves out reads as
 * {@code null} (a primitive one is an error); members the agent does not know are
 * ignored, so a newer server may add some.
 */
final class Records {

	private Records() {
	}

	/**
	 * Reads a record from a JSON object.
	 * @throws Json.JsonException naming the member that does not fit
	 */
	static <R extends Record> R read(Map<?, ?> object, Class<R> type) {
		return type.cast(readRecord(object, type, ""));
	}

	/**
	 * Writes a record as a JSON object; {@code null} members are left out.
	 */
	static Map<String, Object> write(Record record) {
		Map<String, Object> object = new LinkedHashMap<>();
		for (RecordComponent component : record.getClass().getRecordComponents()) {
			Object value = accessor(component, record);
			if (value != null) {
				object.put(component.getName(), toJson(value));
			}
		}
		return object;
	}

	private static Object toJson(Object value) {
		if (value instanceof Record record) {
			return write(record);
		}
		if (value instanceof List<?> list) {
			return list.stream().map(Records::toJson).toList();
		}
		return value;
	}

	private static Object readRecord(Map<?, ?> object, Class<?> type, String path) {
		RecordComponent[] components = type.getRecordComponents();
		Object[] values = new Object[components.length];
		Class<?>[] types = new Class<?>[components.length];
		for (int i = 0; i < components.length; i++) {
			String name = path.isEmpty() ? components[i].getName() : path + "." + components[i].getName();
			types[i] = components[i].getType();
			values[i] = convert(object.get(components[i].getName()), components[i].getGenericType(), name);
		}
		try {
			Constructor<?> constructor = type.getDeclaredConstructor(types);
			return constructor.newInstance(values);
		}
		catch (InvocationTargetException ex) {
			throw new Json.JsonException("'" + (path.isEmpty() ? type.getSimpleName() : path) + "' is not valid: "
					+ ex.getCause().getMessage());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot build " + type.getName(), ex);
		}
	}

	private static Object convert(Object value, Type type, String name) {
		Class<?> raw = (type instanceof ParameterizedType parameterized) ? (Class<?>) parameterized.getRawType()
				: (Class<?>) type;
		if (value == null) {
			if (raw.isPrimitive()) {
				throw new Json.JsonException("'" + name + "' is missing");
			}
			return null;
		}
		if (raw == String.class && value instanceof String string) {
			return string;
		}
		if (raw == Instant.class && value instanceof String string) {
			try {
				return Instant.parse(string);
			}
			catch (DateTimeParseException ex) {
				throw new Json.JsonException("'" + name + "' is not an ISO-8601 instant");
			}
		}
		if ((raw == boolean.class || raw == Boolean.class) && value instanceof Boolean bool) {
			return bool;
		}
		if (value instanceof BigDecimal number) {
			try {
				if (raw == int.class || raw == Integer.class) {
					return number.intValueExact();
				}
				if (raw == long.class || raw == Long.class) {
					return number.longValueExact();
				}
			}
			catch (ArithmeticException ex) {
				throw new Json.JsonException("'" + name + "' is not a whole number in range");
			}
		}
		if (raw == List.class && value instanceof List<?> list && type instanceof ParameterizedType parameterized) {
			Type element = parameterized.getActualTypeArguments()[0];
			List<Object> converted = new ArrayList<>();
			for (int i = 0; i < list.size(); i++) {
				converted.add(convert(list.get(i), element, name + "[" + i + "]"));
			}
			return Collections.unmodifiableList(converted);
		}
		if (raw.isRecord() && value instanceof Map<?, ?> object) {
			return readRecord(object, raw, name);
		}
		throw new Json.JsonException("'" + name + "' is not " + describe(raw));
	}

	private static String describe(Class<?> type) {
		if (type == String.class) {
			return "a string";
		}
		if (type == Instant.class) {
			return "an instant";
		}
		if (type == List.class) {
			return "an array";
		}
		if (type.isRecord()) {
			return "an object";
		}
		return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
	}

	private static Object accessor(RecordComponent component, Record record) {
		try {
			return component.getAccessor().invoke(record);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot read " + component.getName(), ex);
		}
	}

}
