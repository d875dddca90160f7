package io.stockrecon.shop;

/**
 * The mapping of the shop's schema does not fit the database. The message is the one
 * paragraph an operator needs: the setting, its value, and what the database actually
 * has. Nothing has been installed when it is thrown.
 */
public class ShopMappingException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public ShopMappingException(String message) {
		super(message);
	}

}
