package io.stockrecon.cli;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import org.springframework.boot.convert.DurationStyle;

/**
 * The types of the command line's options, with messages that say how to write them.
 */
final class OptionTypes {

	private OptionTypes() {
	}

	/** A whole number of at least 1. */
	static final class PositiveNumber implements ITypeConverter<Integer> {

		@Override
		public Integer convert(String value) {
			try {
				int number = Integer.parseInt(value);
				if (number >= 1) {
					return number;
				}
			}
			catch (NumberFormatException ex) {
				// explained below
			}
			throw new TypeConversionException("'%s' is not a whole number of at least 1.".formatted(value));
		}

	}

	/** A date written as {@code YYYY-MM-DD}. */
	static final class Date implements ITypeConverter<LocalDate> {

		@Override
		public LocalDate convert(String value) {
			try {
				return LocalDate.parse(value);
			}
			catch (DateTimeParseException ex) {
				throw new TypeConversionException(
						"'%s' is not a date. Write it as YYYY-MM-DD, for example 2026-11-24.".formatted(value));
			}
		}

	}

	/** A positive duration such as {@code 90d}, {@code 12h} or {@code P30D}. */
	static final class Age implements ITypeConverter<Duration> {

		@Override
		public Duration convert(String value) {
			try {
				Duration duration = DurationStyle.detectAndParse(value);
				if (!duration.isNegative() && !duration.isZero()) {
					return duration;
				}
			}
			catch (IllegalArgumentException ex) {
				// explained below
			}
			throw new TypeConversionException(
					"'%s' is not a duration. Write it as 90d, 12h, 30m or P30D.".formatted(value));
		}

	}

	/** An execution id, as {@code history} lists them. */
	static final class ExecutionId implements ITypeConverter<Long> {

		@Override
		public Long convert(String value) {
			try {
				return Long.parseLong(value);
			}
			catch (NumberFormatException ex) {
				throw new TypeConversionException(
						"'%s' is not an execution id; 'history' lists them.".formatted(value));
			}
		}

	}

}
